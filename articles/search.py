"""The reader's side of search: what they typed, as a ``Query`` of words, phrases and word
beginnings, and the pages of results they read (``ResultPages``).

Readers type words. A phrase goes in quotes ("signs of clonus"), and a word ending in ``*``
finds the words that begin with it (``clon*``). Nothing else is syntax: symbols such as
``& | ! ( ) :`` and the words AND, OR, NOT are dropped with a notice, and every term is letters
and digits only, so a term can be written into a PostgreSQL ``tsquery`` (``Query.tsquery()``)
with no way for the reader's text to become an operator.
"""

import re
import unicodedata
from dataclasses import dataclass, replace

from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: Characters of a query that are read; the rest is dropped, with a notice.
MAX_LENGTH = 200
#: Words, phrases and word beginnings searched for; more are dropped, with a notice.
MAX_TERMS = 10
#: The most results counted, and so paged through (100 pages of 10).
MAX_RESULTS = 1000
#: The fewest letters before a ``*``: ``a*`` would match nearly every article.
MIN_PREFIX = 2

#: A phrase: text in straight or curly quotes, or from an unclosed quote to the end.
PHRASE = re.compile(r'["“”„]([^"“”„]*)["“”„]?')
#: A word (letters and digits, no underscore), and a ``*`` right after it.
WORD = re.compile(r"([^\W_]+)(\*?)")
#: What looks like the syntax of another search engine or of SQL.
OPERATORS = re.compile(r"[&|!():<>{}\[\]^~\\+=]|--|\b(?:AND|OR|NOT)\b")
OPERATOR_WORDS = {"AND", "OR", "NOT"}

TYPE_A_WORD = "Type a word to search."
NO_WORDS = "Your search has no words in it. Type a word to search."
TOO_LONG = f"Your search was too long; we used the first {MAX_LENGTH} characters."
TOO_MANY = f"We searched for the first {MAX_TERMS} words and phrases."
SYNTAX = (
    "Search finds the articles that contain all your words: put a phrase in quotes, and end a word "
    "with * to find the words that begin with it. Other symbols, and AND, OR and NOT, are ignored."
)
SHORT_PREFIX = f"Type at least {MIN_PREFIX} letters before a *."


@dataclass(frozen=True)
class Query:
    """A reader's search: ``text`` as shown back to them, and the terms found in it.

    Terms are lower case, letters and digits only; a phrase is a tuple of two or more words.
    A query with no terms is false, and finds nothing.
    """

    text: str = ""
    words: tuple = ()
    phrases: tuple = ()
    prefixes: tuple = ()
    notices: tuple = ()

    @classmethod
    def parse(cls, typed):
        # One space between words, and no control characters (PostgreSQL refuses NUL).
        text = " ".join("".join(c for c in typed or "" if unicodedata.category(c) != "Cc").split())
        notices = []
        if len(text) > MAX_LENGTH:
            text = text[:MAX_LENGTH].rstrip()
            notices.append(TOO_LONG)
        outside_quotes = PHRASE.sub(" ", text)
        if OPERATORS.search(outside_quotes):
            notices.append(SYNTAX)
        if any(star and len(word) < MIN_PREFIX for word, star in WORD.findall(outside_quotes)):
            notices.append(SHORT_PREFIX)
        terms = list(dict.fromkeys(terms_in(text)))
        if len(terms) > MAX_TERMS:
            terms = terms[:MAX_TERMS]
            notices.append(TOO_MANY)
        if not terms:
            notices.append(NO_WORDS if text else TYPE_A_WORD)
        kinds = {kind: tuple(value for k, value in terms if k == kind) for kind in ("word", "phrase", "prefix")}
        return cls(text, kinds["word"], kinds["phrase"], kinds["prefix"], tuple(notices))

    def __bool__(self):
        return bool(self.words or self.phrases or self.prefixes)

    @property
    def terms(self):
        """Every term as the text it matches: words, phrases with single spaces, beginnings."""
        return [*self.words, *(" ".join(phrase) for phrase in self.phrases), *self.prefixes]

    @property
    def spelled_words(self):
        """The words whose spelling a suggestion may correct: words and the words of phrases."""
        return list(dict.fromkeys([*self.words, *(word for phrase in self.phrases for word in phrase)]))

    @property
    def roots(self):
        """The letters each term's forms begin with, as a guess without a stemmer: a word less
        its last two letters ("patient" for "patients"), at least four; a phrase's first word."""
        words = [*self.words, *(phrase[0] for phrase in self.phrases)]
        return [word[: max(len(word) - 2, 4)] for word in words] + list(self.prefixes)

    def tsquery(self, any=False):
        """The query in ``to_tsquery()`` syntax: every term must match (with ``any``, one will do).

        Each term is letters and digits only (``WORD``), quoted: PostgreSQL normalises it as it
        does the text (stemming, stop words), reads a quoted phrase as words in sequence, and
        ``:*`` as "begins with".
        """
        quoted = [f"'{word}'" for word in self.words]
        quoted += [f"'{' '.join(phrase)}'" for phrase in self.phrases]
        quoted += [f"'{prefix}':*" for prefix in self.prefixes]
        return (" | " if any else " & ").join(quoted)

    def corrected(self, spellings):
        """This query with words respelled as ``spellings`` (``{word: better word}``) says, as
        a new query whose ``text`` a reader could have typed; no notices."""
        words = tuple(spellings.get(word, word) for word in self.words)
        phrases = tuple(tuple(spellings.get(word, word) for word in phrase) for phrase in self.phrases)
        text = " ".join([*words, *(f'"{" ".join(phrase)}"' for phrase in phrases), *(f"{p}*" for p in self.prefixes)])
        return replace(self, text=text, words=words, phrases=phrases, notices=())


def terms_in(text):
    """``(kind, value)`` for each term of ``text``: a "phrase" (a tuple of words), a "word", or
    a "prefix" (the beginning of words)."""
    for match in PHRASE.finditer(text):
        words = tuple(word.lower() for word, _ in WORD.findall(match[1]))
        if len(words) > 1:
            yield "phrase", words
        elif words:
            yield "word", words[0]
    for token in PHRASE.sub(" ", text).split():
        if token not in OPERATOR_WORDS:
            for word, star in WORD.findall(token):
                yield ("prefix" if star and len(word) >= MIN_PREFIX else "word"), word.lower()


class ResultPages(Paginator):
    """Pages of search results, of at most ``MAX_RESULTS``; ``more`` says whether more match.

    Counting every article that has a common word reads every one of their rows (10,000 of
    them, a few milliseconds, on each page of results); nobody pages past the hundredth.
    """

    more = False

    @cached_property
    def count(self):
        found = self.object_list.count_up_to(MAX_RESULTS + 1)
        self.more = found > MAX_RESULTS
        return min(found, MAX_RESULTS)
