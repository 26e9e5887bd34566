import { z } from 'zod'
import { AiConfigLayerSchema } from '../ai/config'
import { IceServerSchema } from '../lesson/ice'
import { RecordingPolicySchema } from '../recording/state'
import { LocaleSchema, UpdateChannelSchema, UpdateModeSchema } from '../settings'
import type { PolicyDefinition } from './definition'
import { bool, HttpUrl, InstallWindowSchema, OFF, ON } from './values'

/**
 * Every setting a school may manage, in one list: its value type, default,
 * what it locks, when a change takes effect and what it means in en and
 * zh-CN. The main process reads policy with it (Windows registry, macOS
 * managed preferences, policy.json), Settings shows locks from it, and
 * `npm run policy:templates` generates the ADMX/ADML, .mobileconfig and
 * example policy.json from it (resources/policy/). Add a policy here and
 * everything else follows; the tests check that nothing is left out.
 *
 * A policy's name is the same everywhere: the registry value, the plist key,
 * the JSON key (PascalCase, as Chrome and VS Code name theirs).
 */

const ai = AiConfigLayerSchema.shape

export const POLICY = {
  // ---- session server and network ----
  ServerUrl: {
    kind: 'string',
    category: 'server',
    value: HttpUrl,
    defaultText: { en: "none: Duet hosts lessons on the tutor's own computer", 'zh-CN': '无：Duet 在老师自己的电脑上开课' },
    setting: 'serverUrl',
    recommendable: true,
    applies: 'live',
    example: 'https://lessons.school.example',
    title: { en: 'School session server', 'zh-CN': '学校课堂服务器' },
    description: {
      en: "The session server lessons are created and joined on (http:// or https:// URL). When set, Duet does not host lessons on the tutor's computer, and invite codes without a server are joined there.",
      'zh-CN': '创建和加入课堂所用的课堂服务器（http:// 或 https:// 地址）。设置后 Duet 不再在老师的电脑上开课，不带服务器的邀请码也到这里加入。',
    },
  },
  ServerUrlOnly: {
    ...bool(OFF),
    category: 'server',
    recommendable: false,
    applies: 'live',
    example: true,
    title: { en: 'Only the school session server', 'zh-CN': '只用学校课堂服务器' },
    description: {
      en: 'Turned on (with ServerUrl set): lessons happen only on the school session server. Invite links that point at any other server are refused. Without ServerUrl this policy is ignored.',
      'zh-CN': '开启（并设置了 ServerUrl）时，只在学校课堂服务器上课，指向其他服务器的邀请链接会被拒绝。未设置 ServerUrl 时此策略无效。',
    },
  },
  AllowLanJoin: {
    ...bool({ en: "off: the tutor chooses; the tutor's computer accepts students from this computer only until then", 'zh-CN': '关闭：由老师选择；在此之前老师电脑只接受本机的学生' }),
    category: 'server',
    setting: 'lanAccess',
    recommendable: true,
    applies: 'server-idle',
    example: false,
    title: { en: 'Let students on the local network join', 'zh-CN': '允许局域网内的学生加入' },
    description: {
      en: "Whether the session server Duet hosts on a tutor's computer listens on the local network (students on the same network join by its LAN address) or only on this computer (127.0.0.1).",
      'zh-CN': '老师电脑上由 Duet 运行的课堂服务器是否在局域网上监听（同一网络中的学生可通过局域网地址加入），还是只在本机（127.0.0.1）监听。',
    },
  },
  IceServers: {
    kind: 'json',
    category: 'server',
    value: z.array(IceServerSchema).max(16),
    defaultText: { en: 'none (fine on one computer or a LAN)', 'zh-CN': '无（本机或局域网内不需要）' },
    recommendable: false,
    applies: 'server-idle',
    example: [{ urls: 'turn:turn.school.example:3478', username: 'duet', credential: 'secret' }],
    title: { en: 'STUN/TURN servers', 'zh-CN': 'STUN/TURN 服务器' },
    description: {
      en: 'STUN/TURN servers for lessons hosted on a tutor\'s computer, as a JSON array of RTCIceServer objects, e.g. [{"urls":"turn:turn.school.example:3478","username":"duet","credential":"secret"}]. Needed across the internet when students sit behind strict NATs (a school runs coturn).',
      'zh-CN': '老师电脑上所开课堂使用的 STUN/TURN 服务器，写成 RTCIceServer 对象的 JSON 数组，例如 [{"urls":"turn:turn.school.example:3478","username":"duet","credential":"secret"}]。学生在严格 NAT 之后跨互联网上课时需要（学校可自建 coturn）。',
    },
  },

  // ---- AI side panel (the session server Duet hosts) ----
  AiBaseUrl: {
    kind: 'string',
    category: 'ai',
    value: ai.baseUrl,
    defaultText: { en: 'none: set in AI settings', 'zh-CN': '无：在 AI 设置中填写' },
    recommendable: false,
    applies: 'live',
    example: 'https://llm.school.example/v1',
    title: { en: 'AI model address', 'zh-CN': 'AI 模型地址' },
    description: {
      en: 'Base URL of the OpenAI-compatible chat-completions endpoint (OpenAI, DeepSeek, Qwen, a school vLLM or Ollama). Set together with AiModel.',
      'zh-CN': 'OpenAI 兼容的对话补全接口的基础地址（OpenAI、DeepSeek、通义千问、学校自建 vLLM 或 Ollama）。需与 AiModel 一起设置。',
    },
  },
  AiModel: {
    kind: 'string',
    category: 'ai',
    value: ai.model,
    defaultText: { en: 'none: set in AI settings', 'zh-CN': '无：在 AI 设置中填写' },
    recommendable: false,
    applies: 'live',
    example: 'qwen2.5-14b',
    title: { en: 'AI model', 'zh-CN': 'AI 模型' },
    description: { en: 'Model name sent to the endpoint. Set together with AiBaseUrl.', 'zh-CN': '发送给接口的模型名称。需与 AiBaseUrl 一起设置。' },
  },
  AiApiKey: {
    kind: 'string',
    category: 'ai',
    value: ai.apiKey,
    defaultText: { en: 'none (a school vLLM or a local Ollama needs none)', 'zh-CN': '无（学校自建 vLLM 或本机 Ollama 不需要）' },
    recommendable: false,
    applies: 'live',
    secret: true,
    example: 'replace-with-your-key',
    title: { en: 'AI API key', 'zh-CN': 'AI 接口密钥' },
    description: {
      en: 'API key for the AI endpoint. Kept in the main process; never shown to users or written to logs.',
      'zh-CN': 'AI 接口的密钥。只保存在主进程中，不会显示给用户，也不会写入日志。',
    },
  },
  AiVision: {
    ...bool(OFF),
    category: 'ai',
    recommendable: false,
    applies: 'live',
    example: false,
    title: { en: 'AI model reads pictures', 'zh-CN': 'AI 模型可识图' },
    description: { en: 'The model accepts pictures (whiteboard pages, photos of work).', 'zh-CN': '模型可以接收图片（白板页面、作业照片）。' },
  },
  AiMaxTokensPerAnswer: {
    kind: 'integer',
    category: 'ai',
    value: ai.maxTokensPerAnswer,
    min: 16,
    max: 32_768,
    defaultText: { en: '1024', 'zh-CN': '1024' },
    recommendable: false,
    applies: 'live',
    example: 1024,
    title: { en: 'Longest AI answer (tokens)', 'zh-CN': 'AI 回答最大长度（token）' },
    description: { en: 'Upper bound of one answer, in tokens (16 to 32768).', 'zh-CN': '单次回答的上限，以 token 计（16 到 32768）。' },
  },
  AiQuestionsPerStudentPerDay: {
    kind: 'integer',
    category: 'ai',
    value: ai.questionsPerStudentPerDay,
    min: 1,
    max: 100_000,
    defaultText: { en: '100', 'zh-CN': '100' },
    recommendable: false,
    applies: 'live',
    example: 30,
    title: { en: 'AI questions per student per day', 'zh-CN': '每位学生每天的 AI 提问次数' },
    description: { en: 'How many questions each student may ask the AI panel per day.', 'zh-CN': '每位学生每天可以向 AI 面板提问的次数。' },
  },
  AiStudentMode: {
    kind: 'enum',
    category: 'ai',
    value: ai.studentMode,
    options: [
      { value: 'hint-first', label: { en: 'Hints first (Socratic)', 'zh-CN': '先给提示（启发式）' } },
      { value: 'direct', label: { en: 'Direct answers', 'zh-CN': '直接给出答案' } },
    ],
    defaultText: { en: 'hint-first', 'zh-CN': 'hint-first（先给提示）' },
    recommendable: false,
    applies: 'live',
    example: 'hint-first',
    title: { en: 'How the AI answers students', 'zh-CN': 'AI 如何回答学生' },
    description: { en: 'What students get unless the tutor switches it: hints first, or direct answers.', 'zh-CN': '除非老师切换，学生得到的回答方式：先给提示，或直接给答案。' },
  },
  AiLockMode: {
    ...bool(OFF),
    category: 'ai',
    recommendable: false,
    applies: 'live',
    example: true,
    title: { en: "Tutors cannot change how the AI answers students", 'zh-CN': '老师不能更改 AI 回答学生的方式' },
    description: { en: 'Pins AiStudentMode: the tutor cannot switch a student to the other mode.', 'zh-CN': '固定 AiStudentMode：老师不能为学生切换到另一种方式。' },
  },
  AiOllamaUrl: {
    kind: 'string',
    category: 'ai',
    value: z.union([z.literal('off').transform(() => null), ai.ollamaUrl.unwrap()]),
    defaultText: { en: 'http://127.0.0.1:11434', 'zh-CN': 'http://127.0.0.1:11434' },
    recommendable: false,
    applies: 'live',
    example: 'off',
    title: { en: 'Local Ollama address', 'zh-CN': '本机 Ollama 地址' },
    description: {
      en: 'Where a local Ollama is looked for when no model is set; "off" turns the search off.',
      'zh-CN': '未设置模型时在哪里查找本机 Ollama；填 "off" 则不查找。',
    },
  },
  AiTimeoutMs: {
    kind: 'integer',
    category: 'ai',
    value: ai.timeoutMs,
    min: 1000,
    max: 600_000,
    defaultText: { en: '60000', 'zh-CN': '60000' },
    recommendable: false,
    applies: 'live',
    example: 60000,
    title: { en: 'AI time-out (ms)', 'zh-CN': 'AI 超时（毫秒）' },
    description: {
      en: "Longest wait for the model's first byte, and between two chunks, in milliseconds (1000 to 600000).",
      'zh-CN': '等待模型第一个字节以及两段输出之间的最长时间，单位毫秒（1000 到 600000）。',
    },
  },
  AskAiOutsideLessons: {
    ...bool(ON),
    category: 'ai',
    recommendable: false,
    applies: 'live',
    example: false,
    title: { en: 'Ask AI outside lessons', 'zh-CN': '课外“问 AI”' },
    description: {
      en: 'Turned off: the Ask AI screen is gone from Duet, and the session server Duet hosts refuses practice questions from students on the network. The AI panel inside lessons is not affected.',
      'zh-CN': '关闭后 Duet 中不再有“问 AI”页面，Duet 运行的课堂服务器也拒绝网络中学生的课外提问。课堂内的 AI 面板不受影响。',
    },
  },
  AiPracticeLocalTutor: {
    ...bool(ON),
    category: 'ai',
    recommendable: false,
    applies: 'live',
    example: false,
    title: { en: 'This computer asks as a tutor outside lessons', 'zh-CN': '本机课外以老师身份提问' },
    description: {
      en: 'On: Ask AI on this computer gets direct answers without a daily limit (a tutor\'s computer). Turn off on computers students use, so they get hints first and the daily limit.',
      'zh-CN': '开启时，本机的“问 AI”直接给答案且不限次数（老师的电脑）。学生使用的电脑请关闭，这样学生先得到提示并受每日次数限制。',
    },
  },

  // ---- recording ----
  Recording: {
    kind: 'enum',
    category: 'recording',
    value: RecordingPolicySchema,
    options: [
      { value: 'allowed', label: { en: 'Allowed: the tutor chooses', 'zh-CN': '允许：由老师决定' } },
      { value: 'forbidden', label: { en: 'Forbidden: no lesson is recorded', 'zh-CN': '禁止：不录制任何课堂' } },
      { value: 'always', label: { en: 'Always: every lesson is recorded', 'zh-CN': '总是：每节课都录制' } },
    ],
    defaultText: { en: 'allowed', 'zh-CN': 'allowed（由老师决定）' },
    recommendable: false,
    applies: 'server-idle',
    example: 'allowed',
    title: { en: 'Lesson recording', 'zh-CN': '课堂录制' },
    description: {
      en: "Whether lessons hosted on a tutor's computer may be recorded: the tutor chooses, never, or always (both sides always see when recording is on).",
      'zh-CN': '老师电脑上所开的课堂能否录制：由老师决定、从不录制或总是录制（双方始终能看到正在录制）。',
    },
  },
  RecordingFolder: {
    kind: 'string',
    category: 'recording',
    value: z.string().trim().min(1).max(1024),
    defaultText: { en: "the lesson library in Duet's user data folder", 'zh-CN': 'Duet 用户数据文件夹中的课堂资料库' },
    recommendable: false,
    applies: 'app-restart',
    example: 'D:\\DuetRecordings',
    title: { en: 'Where recordings are kept', 'zh-CN': '录像保存位置' },
    description: {
      en: 'Absolute path of the lesson library folder (recordings, whiteboard PDFs, AI transcripts). ~ means the user\'s home folder. If it cannot be created or written, Duet uses its default folder and says why.',
      'zh-CN': '课堂资料库文件夹的绝对路径（录像、白板 PDF、AI 对话记录）。~ 表示用户主文件夹。如果无法创建或写入，Duet 使用默认文件夹并说明原因。',
    },
  },

  // ---- updates ----
  UpdateMode: {
    kind: 'enum',
    category: 'updates',
    value: UpdateModeSchema,
    options: [
      { value: 'auto', label: { en: 'Automatic: download in the background, install when Duet quits', 'zh-CN': '自动：后台下载，退出 Duet 时安装' } },
      { value: 'manual', label: { en: 'Manual: check and tell, the user decides', 'zh-CN': '手动：检查并提示，由用户决定' } },
      { value: 'none', label: { en: 'None: no checks, no update screens (updates are deployed by IT)', 'zh-CN': '无：不检查、不显示更新界面（由 IT 部署更新）' } },
    ],
    defaultText: { en: 'auto', 'zh-CN': 'auto（自动）' },
    setting: 'updateMode',
    recommendable: true,
    applies: 'live',
    example: 'auto',
    title: { en: 'Updates', 'zh-CN': '更新方式' },
    description: {
      en: 'How Duet updates itself. It never installs or restarts during a lesson.',
      'zh-CN': 'Duet 如何更新自身。上课期间从不安装更新，也不重启。',
    },
  },
  UpdateFeedUrl: {
    kind: 'string',
    category: 'updates',
    value: HttpUrl,
    defaultText: { en: "the Duet project's update feed", 'zh-CN': 'Duet 项目的更新源' },
    recommendable: false,
    applies: 'live',
    example: 'https://mirror.school.example/duet',
    title: { en: 'Update feed (school mirror)', 'zh-CN': '更新源（学校镜像）' },
    description: {
      en: 'Address of a folder holding the release files and latest.yml / latest-mac.yml / latest-linux.yml (an electron-builder "generic" feed), e.g. a school mirror.',
      'zh-CN': '存放发布文件及 latest.yml / latest-mac.yml / latest-linux.yml 的文件夹地址（electron-builder 的 "generic" 更新源），例如学校镜像。',
    },
  },
  UpdateChannel: {
    kind: 'enum',
    category: 'updates',
    value: UpdateChannelSchema,
    options: [
      { value: 'stable', label: { en: 'Stable', 'zh-CN': '稳定版' } },
      { value: 'beta', label: { en: 'Beta (earlier, less tested)', 'zh-CN': '测试版（更早，测试较少）' } },
    ],
    defaultText: { en: 'stable', 'zh-CN': 'stable（稳定版）' },
    setting: 'updateChannel',
    recommendable: true,
    applies: 'live',
    example: 'stable',
    title: { en: 'Update channel', 'zh-CN': '更新通道' },
    description: { en: 'Which releases this computer gets.', 'zh-CN': '本机接收哪一类版本。' },
  },
  UpdateInstallWindow: {
    kind: 'string',
    category: 'updates',
    value: InstallWindowSchema,
    defaultText: { en: 'none: install whenever Duet quits', 'zh-CN': '无：每次退出 Duet 时安装' },
    recommendable: false,
    applies: 'live',
    example: '18:00-07:00',
    title: { en: 'Install window', 'zh-CN': '安装时段' },
    description: {
      en: 'Local times between which a downloaded update may be installed, e.g. 18:00-07:00. Inside it Duet installs when it quits, or restarts to install when no lesson is running; outside it the update waits.',
      'zh-CN': '允许安装已下载更新的本地时段，例如 18:00-07:00。在此时段内，Duet 退出时安装，或在没有课堂时重启安装；时段外更新会等待。',
    },
  },

  // ---- general ----
  Language: {
    kind: 'enum',
    category: 'general',
    value: LocaleSchema,
    options: [
      { value: 'en', label: { en: 'English', 'zh-CN': '英语' } },
      { value: 'zh-CN', label: { en: 'Simplified Chinese', 'zh-CN': '简体中文' } },
    ],
    defaultText: { en: "the system's language", 'zh-CN': '跟随系统语言' },
    setting: 'locale',
    recommendable: true,
    applies: 'live',
    example: 'zh-CN',
    title: { en: 'Language', 'zh-CN': '界面语言' },
    description: { en: "Duet's language.", 'zh-CN': 'Duet 的界面语言。' },
  },
  KeepStudentLinks: {
    ...bool(ON),
    category: 'general',
    recommendable: false,
    applies: 'live',
    example: false,
    title: { en: "Keep students' personal links on this computer", 'zh-CN': '在本机保留学生的个人链接' },
    description: {
      en: "Turn off on computers students share under one account (a lab, a library). A personal link still opens the student's lessons, but each time Duet starts (and when this policy arrives) it forgets every link it kept and what it kept with it: unsent messages to the tutor, the Ask AI practice pass and its unsent question, and the library's keys to every student's lessons (those joined with a one-off invite too). Students can still remove their link themselves at once.",
      'zh-CN': '在学生共用同一账户的电脑（机房、图书馆）上请关闭。个人链接仍能打开学生的课程，但 Duet 每次启动时（以及此策略生效时）会忘记保留的所有链接及与之一起保留的内容：未发送给老师的消息、“问 AI”练习凭证及未发送的问题，以及资料库中所有学生课程的密钥（包括通过一次性邀请加入的课程）。学生仍可随时自己移除链接。',
    },
  },
  AdminContact: {
    kind: 'string',
    category: 'general',
    value: z.string().trim().min(1).max(200),
    defaultText: { en: 'none', 'zh-CN': '无' },
    recommendable: false,
    applies: 'live',
    example: 'IT help desk, it@school.example, ext. 1234',
    title: { en: 'Who to ask (admin contact)', 'zh-CN': '联系谁（管理员联系方式）' },
    description: {
      en: 'Shown beside every setting the school locks and with errors the school can fix, e.g. "IT help desk, it@school.example, ext. 1234".',
      'zh-CN': '显示在学校锁定的每项设置旁边，以及学校能解决的错误旁，例如“信息中心，it@school.example，分机 1234”。',
    },
  },
} as const satisfies Record<string, PolicyDefinition>

export type PolicyName = keyof typeof POLICY
export const POLICY_NAMES = Object.keys(POLICY) as PolicyName[]

/** The value each policy holds once read and validated. */
export type PolicyValues = { -readonly [K in PolicyName]?: z.output<(typeof POLICY)[K]['value']> }

export function isPolicyName(name: string): name is PolicyName {
  return Object.prototype.hasOwnProperty.call(POLICY, name)
}
