#!/usr/bin/env python3
"""Wraps C# lines longer than 120 characters, changing only whitespace outside literals and comments.

`.ci/wrap-long-lines.py FILE...` rewrites the files in place: a full-line comment is refilled with its
own prefix; a line of code is broken after a comma or before an operator, `=>` or a `.` of a call chain,
at the rightmost such place that keeps the line within the limit, and the rest is indented four spaces
deeper. Lines inside multi-line strings and preprocessor lines are left alone, and so is a line with no
such place (a long string literal): .ci/line-length.sh still names those.
"""
import re
import sys

LIMIT = 120


def code_mask(line, state):
    """Per character: True where code (not string, char or comment). Returns (mask, comment_at, state)."""
    mask = [False] * len(line)
    i, n = 0, len(line)
    comment_at = None
    while i < n:
        if state == 'raw':
            j = line.find('"""', i)
            if j < 0:
                return mask, comment_at, 'raw'
            i, state = j + 3, None
            continue
        if state == 'verbatim':
            while i < n:
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        i += 2
                        continue
                    i += 1
                    state = None
                    break
                i += 1
            if state:
                return mask, comment_at, state
            continue
        if state == 'block':
            j = line.find('*/', i)
            if j < 0:
                return mask, comment_at, 'block'
            i, state = j + 2, None
            continue
        c = line[i]
        if line.startswith('//', i):
            comment_at = i
            break
        if line.startswith('/*', i):
            state, i = 'block', i + 2
            continue
        m = re.match(r'\$*@?\$*"""', line[i:]) or None
        if m and '"""' in m.group(0):
            state, i = 'raw', i + len(m.group(0))
            continue
        m = re.match(r'(\$@|@\$|@)"', line[i:])
        if m:
            if '$' in m.group(0):
                i = skip_interpolated(line, i + len(m.group(0)), verbatim=True)
                if i < 0:
                    return mask, comment_at, 'verbatim'
            else:
                state, i = 'verbatim', i + len(m.group(0))
            continue
        if line.startswith('$"', i):
            i = skip_interpolated(line, i + 2, verbatim=False)
            if i < 0:
                return mask, comment_at, None
            continue
        if c == '"':
            i = skip_regular(line, i + 1)
            continue
        if c == "'":
            j = i + 1
            while j < n and line[j] != "'":
                j += 2 if line[j] == '\\' else 1
            i = j + 1
            continue
        mask[i] = True
        i += 1
    return mask, comment_at, state


def skip_regular(line, i):
    n = len(line)
    while i < n and line[i] != '"':
        i += 2 if line[i] == '\\' else 1
    return i + 1


def skip_interpolated(line, i, verbatim):
    n, depth = len(line), 0
    while i < n:
        c = line[i]
        if depth == 0:
            if c == '"':
                if verbatim and i + 1 < n and line[i + 1] == '"':
                    i += 2
                    continue
                return i + 1
            if c == '\\' and not verbatim:
                i += 2
                continue
            if c == '{':
                if i + 1 < n and line[i + 1] == '{':
                    i += 2
                    continue
                depth = 1
            i += 1
        else:
            if c == '"':
                i = skip_regular(line, i + 1)
                continue
            if c == '{':
                depth += 1
            elif c == '}':
                depth -= 1
            i += 1
    return -1


BEFORE = (' && ', ' || ', ' ?? ', ' => ', ' ? ', ' : ', ' + ', ' - ', ' * ', ' is ', ' or ', ' and ')


def candidates(line, mask, end):
    """(position of the break, index the continuation starts at, preference)."""
    out = []
    for i in range(len(line) - 1):
        if i >= end or not mask[i]:
            continue
        if line[i] == ',' and line[i + 1] == ' ':
            out.append((i + 1, i + 2, 3))
        elif line[i] == '(' and i + 1 < end and line[i + 1] not in ')':
            out.append((i + 1, i + 1, 1))
        elif line[i] == '.' and i > 0 and line[i - 1] == ')' and i + 1 < len(line) and line[i + 1].isalpha():
            out.append((i, i, 2))
        elif line.startswith(' = ', i) and mask[i + 1]:
            out.append((i + 2, i + 3, 2))
        for op in BEFORE:
            if line.startswith(op, i) and all(mask[i + k] for k in range(len(op)) if line[i + k] != ' '):
                out.append((i, i + 1, 2))
    return out


def wrap_code(line, state):
    indent = len(line) - len(line.lstrip(' '))
    mask, comment_at, _ = code_mask(line, state)
    end = comment_at if comment_at is not None else len(line)
    if comment_at is not None and len(line[:comment_at].rstrip()) <= LIMIT and line[:comment_at].strip():
        # A trailing comment that makes the line long goes above it.
        return [' ' * indent + line[comment_at:].strip(), line[:comment_at].rstrip()]
    depth, level = [], 0
    for i, c in enumerate(line):
        if mask[i] and c in '([{<':
            level += 1 if c != '<' else 0
        depth.append(level)
        if mask[i] and c in ')]}':
            level -= 1
    best = None
    for cut, resume, preference in candidates(line, mask, end):
        head = line[:cut].rstrip()
        if len(head) > LIMIT or len(head) - indent < 20:
            continue
        # The outermost place first (a chain's ".Expect", not a comma inside its call), then the kind.
        score = (-depth[min(cut, len(depth) - 1)], preference, cut)
        if best is None or score > best[0]:
            best = (score, head, line[resume:].lstrip(' '))
    if best is None:
        return [line]
    _, head, rest = best
    cont = ' ' * (indent + 4) + rest
    if len(cont) > LIMIT and cont != line:
        return [head] + wrap_code(cont, None)
    return [head, cont]


def wrap_comment(line):
    indent = len(line) - len(line.lstrip(' '))
    stripped = line.strip()
    marker = '/// ' if stripped.startswith('///') else '// '
    words = stripped[len(marker.strip()):].strip().split(' ')
    lines, current = [], ''
    prefix = ' ' * indent + marker
    for word in words:
        if current and len(prefix + current + ' ' + word) > LIMIT:
            lines.append(prefix + current)
            current = word
        else:
            current = word if not current else current + ' ' + word
    if current:
        lines.append(prefix + current)
    return lines


def wrap_file(path):
    text = open(path, encoding='utf-8-sig').read()
    bom = open(path, 'rb').read(3) == b'\xef\xbb\xbf'
    out, state = [], None
    for line in text.split('\n'):
        start_state = state
        _, _, state = code_mask(line, start_state)
        if len(line) <= LIMIT or start_state is not None or line.lstrip().startswith('#'):
            out.append(line)
            continue
        if line.lstrip().startswith('//'):
            out.extend(wrap_comment(line))
        else:
            out.extend(wrap_code(line, start_state))
    result = '\n'.join(out)
    if result != text:
        with open(path, 'w', encoding='utf-8-sig' if bom else 'utf-8') as f:
            f.write(result)


if __name__ == '__main__':
    for p in sys.argv[1:]:
        wrap_file(p)
