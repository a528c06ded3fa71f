/**
 * Text safe to print on a terminal: control characters (escape sequences that retitle the window, move
 * the cursor or hide text), C1 controls and bidirectional overrides, as they might be in a file name,
 * are shown as escapes (\x1b, \n, \u202e) instead of acting.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const code = c.charCodeAt(0);
    return named[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}
