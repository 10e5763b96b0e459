#!/usr/bin/env python3
"""Strict check of a Prometheus text exposition (format 0.0.4) read from a file or stdin.

Every line is '# HELP name text', '# TYPE name type' or a sample 'name{l="v",...} value';
names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*, label values use only
the escapes \\\\ \\" \\n; each family has HELP then TYPE before its samples and its samples are
contiguous; counter families end in _total; no sample (name, labels) repeats.
With --get NAME [LABEL=VALUE...] prints the value of that one sample instead of 'ok'.
Exit 0 when valid, 1 with one line per problem otherwise.
"""
import re
import sys

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*'
VALUE = r'(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|Inf)|NaN)'
LABEL_PAIR = r'(' + LABEL + r')="((?:[^"\\\n]|\\[\\"n])*)"'
PAIR_NC = LABEL + r'="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(r'^(' + NAME + r')(?:\{(' + PAIR_NC + r'(?:,' + PAIR_NC + r')*,?)?\})? (' +
                    VALUE + r')(?: -?[0-9]+)?$')
PAIR = re.compile(LABEL_PAIR)
HELP = re.compile(r'^# HELP (' + NAME + r') ((?:[^\\\n]|\\[\\n])*)$')
TYPE = re.compile(r'^# TYPE (' + NAME + r') (counter|gauge|histogram|summary|untyped)$')
TYPES_SUFFIXES = {'histogram': ('_bucket', '_sum', '_count'), 'summary': ('_sum', '_count')}


def family_of(name, types):
    if name in types:
        return name
    for fam, t in types.items():
        for suf in TYPES_SUFFIXES.get(t, ()):
            if name == fam + suf:
                return fam
    return None


def check(text):
    errors, samples = [], {}
    helps, types, done = {}, {}, set()
    current = None
    if text and not text.endswith('\n'):
        errors.append('the exposition does not end with a newline')
    for no, line in enumerate(text.split('\n')[:-1] if text.endswith('\n') else
                              text.split('\n'), 1):
        where = 'line %d' % no
        if line.startswith('#'):
            m = HELP.match(line)
            if m:
                fam = m.group(1)
                if fam in helps:
                    errors.append('%s: second HELP for %s' % (where, fam))
                if fam in types or fam in done:
                    errors.append('%s: HELP for %s after its TYPE or samples' % (where, fam))
                helps[fam] = m.group(2)
                if current and current != fam:
                    done.add(current)
                current = fam
                continue
            m = TYPE.match(line)
            if m:
                fam, t = m.group(1), m.group(2)
                if fam not in helps:
                    errors.append('%s: TYPE for %s without a HELP before it' % (where, fam))
                if fam in types:
                    errors.append('%s: second TYPE for %s' % (where, fam))
                if t == 'counter' and not fam.endswith('_total'):
                    errors.append('%s: counter %s does not end in _total' % (where, fam))
                types[fam] = t
                current = fam
                continue
            errors.append('%s: comment that is neither HELP nor TYPE: %r' % (where, line))
            continue
        if not line.strip():
            errors.append('%s: empty line' % where)
            continue
        m = SAMPLE.match(line)
        if not m:
            errors.append('%s: not a valid sample: %r' % (where, line))
            continue
        name, labels_text, value = m.group(1), m.group(2) or '', m.group(3)
        fam = family_of(name, types)
        if fam is None:
            errors.append('%s: sample %s before any HELP/TYPE of its family' % (where, name))
            continue
        if fam in done or (current and fam != current):
            errors.append('%s: sample of %s outside its family\'s block' % (where, fam))
        labels = tuple(PAIR.findall(labels_text))
        names = [k for k, _ in labels]
        if len(set(names)) != len(names):
            errors.append('%s: a label repeats in %s' % (where, name))
        if any(k.startswith('__') for k in names):
            errors.append('%s: reserved label name in %s' % (where, name))
        key = (name, tuple(sorted(labels)))
        if key in samples:
            errors.append('%s: duplicate sample %s%s' % (where, name, labels_text))
        samples[key] = value
    for fam in helps:
        if fam not in types:
            errors.append('family %s has a HELP but no TYPE' % fam)
    return errors, samples


def unescape(v):
    return re.sub(r'\\(.)', lambda m: {'n': '\n'}.get(m.group(1), m.group(1)), v)


def main():
    args = sys.argv[1:]
    get = None
    if args[:1] == ['--get']:
        get = (args[1], dict(a.split('=', 1) for a in args[2:]))
        args = []
    text = open(args[0]).read() if args else sys.stdin.read()
    errors, samples = check(text)
    for e in errors:
        print(e)
    if errors:
        return 1
    if get:
        for (name, labels), value in samples.items():
            if name == get[0] and {k: unescape(v) for k, v in labels} == get[1]:
                print(value)
                return 0
        print('no sample %s %s' % get, file=sys.stderr)
        return 1
    families = sum(1 for line in text.split('\n') if line.startswith('# TYPE '))
    print('ok: %d families, %d samples' % (families, len(samples)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
