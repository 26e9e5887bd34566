/** The emoji the composer offers with one click (any other emoji can be typed or pasted). */
export const QUICK_EMOJI = ['👍', '👏', '🙂', '😀', '😂', '🤔', '😮', '😅', '🙏', '💡', '✅', '❌', '❓', '⭐', '🎉', '🔥', '👀', '✍️', '📚', '📝', '⏰', '➕', '➖', '✖️', '➗', '≈', '≠', '≤', '≥', '√', 'π', '∞']
