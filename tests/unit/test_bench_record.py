"""bench/record.py: a benchmark run lands at the end of its own section of BENCHMARKS.md, never
under the next section (as appending to the file put the address runs under §7)."""

from bench.record import placed

DOC = ("# Benchmarks\n\n## 6. Address search\n\nprose\n\n### run 1\n\nold\n\n"
       "## 7. Speech\n\nspeech\n")


def test_a_run_goes_at_the_end_of_its_section_before_the_next():
    out = placed(DOC, "## 6. Address search", "### run 2\n\nnew\n")
    assert out == ("# Benchmarks\n\n## 6. Address search\n\nprose\n\n### run 1\n\nold\n\n"
                   "### run 2\n\nnew\n\n## 7. Speech\n\nspeech\n")


def test_a_run_of_the_last_section_goes_at_the_end_of_the_file():
    out = placed(DOC, "## 7. Speech", "### run\n")
    assert out.endswith("## 7. Speech\n\nspeech\n\n### run\n")


def test_a_section_not_there_yet_is_made_at_the_end():
    out = placed(DOC, "## 8. New", "### run\n")
    assert out.endswith("speech\n\n## 8. New\n\n### run\n")
    assert out.count("## 8. New") == 1
