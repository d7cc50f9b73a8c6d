/**
 * sshd hands the command line to the user's login shell (`$SHELL -c line`), so argv must be
 * turned back into one line that this shell splits into exactly the same words. Single quotes
 * keep everything literal except a single quote itself, which is closed, escaped and reopened:
 * `it's` becomes `'it'\''s'`. This holds for POSIX shells (sh, dash, bash, zsh); csh-family
 * login shells are not supported.
 *
 * Words made only of characters no shell treats specially are left bare so logged command
 * lines stay readable. `=` is not among them (a leading `A=b` word is an assignment), nor `~`,
 * `#` or braces.
 */
const bareWord = /^[A-Za-z0-9_./:@%+,-]+$/;

export function quoteForRemoteShell(word: string): string {
  return bareWord.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The line a remote POSIX shell splits back into `argv`. */
export function argvToRemoteCommandLine(argv: readonly string[]): string {
  return argv.map(quoteForRemoteShell).join(" ");
}
