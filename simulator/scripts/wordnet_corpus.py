#!/usr/bin/env python3
"""Extracts the writing corpus from WordNet 3.0's data files (Debian package wordnet-base 1:3.0-37).

Usage: apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb x
       python3 wordnet_corpus.py x/usr/share/wordnet > corpus.txt

One sentence per line, deterministic (files read in a fixed order, duplicates dropped keeping the first).
Definitions become sentences ("X is DEF." for nouns, "to X is to DEF." for verbs, "X means DEF." for
adjectives and adverbs, X the synset's first lemma); usage examples (the quoted parts of a gloss) are kept
as written. Lines are then filtered to a common vocabulary (plain_vocabulary). Parenthetical remarks are dropped; lines are kept only when they have 4..40 words and only
ordinary characters, so the text stays plain prose.
"""
import re
import sys

FILES = [("data.noun", "n"), ("data.verb", "v"), ("data.adj", "a"), ("data.adv", "r")]
OK = re.compile(r"^[A-Za-z0-9 ,;:.!?'\-]+$")


def clean(text):
    text = re.sub(r"\([^)]*\)", " ", text)
    text = text.replace("`", "'").replace('"', " ")
    text = re.sub(r"\s+", " ", text).strip(" ;,")
    return text


def sentence(text):
    text = clean(text)
    if not text:
        return None
    if text[-1] not in ".!?":
        text += "."
    words = re.findall(r"[A-Za-z0-9']+", text)
    if len(words) < 4 or len(words) > 40 or not OK.match(text):
        return None
    return text[0].upper() + text[1:]


def main(folder):
    seen = set()
    out = []
    for name, pos in FILES:
        with open(f"{folder}/{name}", encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or "|" not in line:
                    continue
                head, gloss = line.split("|", 1)
                fields = head.split()
                lemma = re.sub(r"\(.*\)$", "", fields[4]).replace("_", " ")
                if not re.match(r"^[A-Za-z][A-Za-z \-]*$", lemma):
                    continue
                parts = [p.strip() for p in gloss.strip().split(";")]
                for p in parts:
                    if not p:
                        continue
                    if p.startswith('"'):
                        s = sentence(p)
                    else:
                        d = clean(p)
                        if not d:
                            continue
                        if pos == "n":
                            s = sentence(f"{lemma} is {d}")
                        elif pos == "v":
                            s = sentence(f"to {lemma} is to {d}")
                        else:
                            s = sentence(f"{lemma} means {d}")
                    if s and s not in seen:
                        seen.add(s)
                        out.append(s)
    sys.stdout.write("\n".join(plain_vocabulary(out)) + "\n")


def words(line):
    """The tokenizer's rule (WordTokenizer): lower-case runs of letters, digits and apostrophes, and the
    punctuation marks . , ; : ! ? as tokens of their own."""
    return re.findall(r"[a-z0-9']+|[.,;:!?]", line.lower())


def plain_vocabulary(lines, size=3960, wide=8000):
    """Keeps the lines made only of common words, so a ~4,000-word vocabulary covers the corpus.

    The vocabulary is the `size` most frequent tokens among lines whose tokens all lie in the `wide` most
    frequent ones; a line is kept when every token is in it. Without this, WordNet's glosses (79k distinct
    tokens) leave ~18% of tokens unknown at 4,000 words."""
    from collections import Counter
    toks = [words(l) for l in lines]
    c = Counter()
    for t in toks:
        c.update(t)
    wide_set = {w for w, _ in c.most_common(wide)}
    c2 = Counter()
    for t in toks:
        if all(w in wide_set for w in t):
            c2.update(t)
    vocab = {w for w, _ in c2.most_common(size)}
    return [l for l, t in zip(lines, toks) if all(w in vocab for w in t)]


if __name__ == "__main__":
    main(sys.argv[1])
