// npm run hash-password -- <password>     (or with no argument: reads the password from stdin,
// which keeps it out of the shell history). Prints the hash for PERCH_UI_USERS on one line.
import { hashPassword } from '../lib/access/password';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

async function main() {
  const password = process.argv[2] ?? (await readStdin());
  if (password.length < 8) {
    console.error('hash-password: use a password of at least 8 characters');
    process.exit(2);
  }
  console.log(await hashPassword(password));
}

void main();
