"""The page's frame loses the theme's indentation and nothing else: each run of white space holding a line break
becomes one line break, as HTML renders it."""

from __future__ import annotations

import random
import re

from generator.render.sanitize import BEGIN, END, clean_page, unindented

# What the frame's white space means, said as a regular expression (the rule unindented follows line by line).
RUNS_WITH_A_BREAK = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")


def test_a_run_of_blanks_holding_a_line_break_becomes_one_line_break_and_nothing_else_changes():
    rng = random.Random(20261206)
    alphabet = ["a", "文", " ", "\t", "\r", "\f", "\n", "\v", "\u3000", "<p>"]
    texts = ["", "\n", "a", " \n ", "\n\n", "a \n\n", "\n  x", "x\n", "  <nav>\n    <a>首页</a>\n  </nav>\n"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(20000)]
    for text in texts:
        assert unindented(text) == RUNS_WITH_A_BREAK.sub("\n", text), repr(text)


def test_a_pages_content_keeps_its_own_spacing_while_its_frame_loses_the_indentation():
    page = f"<html>\n    <body>\n      {BEGIN}<pre>a\n    b</pre>{END}\n    </body>\n</html>\n"
    assert clean_page(page) == "<html>\n<body>\n<pre>a\n    b</pre>\n</body>\n</html>\n"
