import type { Kysely } from 'kysely'
import type { AiConversationsTable, AiScopesTable } from './tables/ai'
import type { ChatFilesTable, ChatMessagesTable, ChatReadsTable } from './tables/chat'
import type { AttendanceTable, DataImportsTable, LessonsTable } from './tables/lessons'
import type { HomeworkFilesTable, HomeworkTable, RatingsTable } from './tables/homework'
import type { FlagRecomputesTable, FlagsTable, RecordActionsTable, WarningSettingsTable } from './tables/warnings'
import type { AccountsTable, ActivityTable, ScheduleChangesTable, StudentsTable } from './tables/students'

/**
 * Every table of the session server's database, by group (one file per group
 * in ./tables, created by the numbered files in ./migrations). A new feature
 * adds its table file, its migration and its entries here.
 */
export interface Tables {
  lessons: LessonsTable
  attendance: AttendanceTable
  data_imports: DataImportsTable
  ai_scopes: AiScopesTable
  ai_conversations: AiConversationsTable
  accounts: AccountsTable
  students: StudentsTable
  schedule_changes: ScheduleChangesTable
  activity: ActivityTable
  homework: HomeworkTable
  homework_files: HomeworkFilesTable
  ratings: RatingsTable
  flags: FlagsTable
  record_actions: RecordActionsTable
  warning_settings: WarningSettingsTable
  flag_recomputes: FlagRecomputesTable
  chat_messages: ChatMessagesTable
  chat_reads: ChatReadsTable
  chat_files: ChatFilesTable
}

export type Db = Kysely<Tables>
