#!/usr/bin/env python3
"""long-functions.py -- the C functions longer than the house allows (80 lines of body, from the
opening brace to the closing one), outside tests/. It reads the layout .clang-format
gives: a function's body opens with "{" alone at the start of a line and closes with "}" alone
at the start of a line. Usage: scripts/long-functions.py [--max N] [FOLDER...] (default: every
folder of the repository but tests/ and build folders). Exits 1 when one is too long."""
import os
import sys

SKIP = ('tests', '.git')


def sources(folders):
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d not in SKIP and not d.startswith('build'))
            for name in sorted(files):
                if name.endswith('.c'):
                    yield os.path.join(root, name)


def functions(path):
    """(name, first line, length) of each function definition in path."""
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().split('\n')
    for i, line in enumerate(lines):
        if line != '{':
            continue
        start = i
        # The signature runs up from the brace to the line after a blank, a '}' or a comment's end.
        while start > 0 and lines[start - 1].strip() and not lines[start - 1].startswith(
                ('}', '#', '/*', ' *')) and not lines[start - 1].rstrip().endswith((';', '*/')):
            start -= 1
        end = i
        while end < len(lines) and lines[end] != '}':
            end += 1
        head = ' '.join(lines[start:i])
        name = head.split('(')[0].split()[-1].lstrip('*') if '(' in head else head.strip()
        yield name, start + 1, end - i + 1


def main():
    args = sys.argv[1:]
    limit = 80
    if args[:1] == ['--max']:
        limit = int(args[1])
        args = args[2:]
    folders = args or sorted(d for d in os.listdir('.') if os.path.isdir(d) and d not in SKIP
                             and not d.startswith(('build', '.')))
    long = [(n, path, first, length) for path in sources(folders)
            for n, first, length in functions(path) if length > limit]
    for name, path, first, length in sorted(long, key=lambda x: -x[3]):
        print(f'{path}:{first}: {name}: {length} lines')
    if not long:
        print(f'no function over {limit} lines in ' + ', '.join(folders))
    return 1 if long else 0


if __name__ == '__main__':
    sys.exit(main())
