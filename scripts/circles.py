#!/usr/bin/env python3
"""circles.py -- the include circles of the C sources: a source and its headers are one room
(foo.c with foo.h, and with foo_bar.h when there is no foo_bar.c: a second face of foo.c, like
client/ui_sdl.h), and room A uses room B when one of A's files includes B's header with
#include "...". Prints
every circle (rooms that use each other in a loop) with the includes that tie it, and exits 1
when there is one. Usage: scripts/circles.py [FOLDER...] (default: common server client play bot).
Only includes between the folders named are followed; system headers (<...>) are ignored."""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def rooms(folders):
    """room name (folder/stem) -> list of its files, and header base name -> room."""
    files, by_header = {}, {}
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            stem, ext = os.path.splitext(name)
            if ext not in ('.c', '.h'):
                continue
            room = f'{folder}/{stem}'
            base = stem.rsplit('_', 1)[0]
            if ext == '.h' and '_' in stem and not os.path.exists(os.path.join(
                    folder, stem + '.c')) and os.path.exists(os.path.join(folder, base + '.c')):
                room = f'{folder}/{base}'
            files.setdefault(room, []).append(os.path.join(folder, name))
            if ext == '.h':
                by_header.setdefault(name, []).append(room)
    return files, by_header


def edges(files, by_header):
    """room -> {used room: [the include lines that tie them]}."""
    out = {}
    for room, paths in files.items():
        folder = room.rsplit('/', 1)[0]
        for path in paths:
            with open(path, encoding='utf-8', errors='replace') as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                targets = by_header.get(os.path.basename(inc), [])
                # A header of the same folder wins over a namesake elsewhere, as with -I order.
                same = [t for t in targets if t.startswith(folder + '/')]
                for t in same or targets[:1]:
                    if t != room:
                        out.setdefault(room, {}).setdefault(t, []).append(
                            f'{path} includes "{inc}"')
    return out


def circles(graph, nodes):
    """Strongly connected components of more than one room (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return found


def main():
    folders = sys.argv[1:] or ['common', 'server', 'client', 'play', 'bot']
    files, by_header = rooms(folders)
    graph = edges(files, by_header)
    found = circles(graph, files)
    for comp in found:
        print(f'circle of {len(comp)}: ' + ', '.join(comp))
        for a in comp:
            for b, why in sorted(graph.get(a, {}).items()):
                if b in comp:
                    print(f'  {a} -> {b}: {why[0]}')
    if not found:
        print(f'no circle among the includes of {len(files)} rooms in ' + ', '.join(
            f for f in folders if os.path.isdir(f)))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
