"""The interval of an F1 difference between two cleanings, over resampled sites."""

import pytest

from cleaner.linemodel.compare import f1_difference, page_counts

LABELS = [1, 1, 0, 0]
RIGHT = page_counts(LABELS, [True, True, False, False])  # F1 1
ONE_CHROME_KEPT = page_counts(LABELS, [True, True, True, False])  # F1 2x2 / (2x2 + 1) = 0.8


def test_a_page_is_counted_as_article_kept_article_lost_and_chrome_kept():
    assert page_counts([1, 1, 1, 0, 0], [True, False, True, True, False]) == (2, 1, 1)


def test_better_on_every_page_of_every_site_is_sure():
    sites = ["a.fr", "a.fr", "b.fr", "c.fr"]
    for view in ("pooled", "per page"):
        diff = f1_difference([RIGHT] * 4, [ONE_CHROME_KEPT] * 4, sites, view)
        # whatever sites are drawn, every page gains 0.2
        assert (diff.value, diff.low, diff.high) == pytest.approx((0.2, 0.2, 0.2))
        assert diff.sites == 3
    same = f1_difference([RIGHT] * 4, [RIGHT] * 4, sites)
    assert (same.value, same.low, same.high) == (0.0, 0.0, 0.0)


def test_a_gain_that_one_site_of_five_makes_is_not_sure():
    sites = ["a.fr", "b.fr", "c.fr", "d.fr", "e.fr"]
    ours = [RIGHT] + [ONE_CHROME_KEPT] * 4  # better on a.fr only
    diff = f1_difference(ours, [ONE_CHROME_KEPT] * 5, sites, "per page")
    assert diff.value == pytest.approx(0.2 / 5)  # one page of five gains 0.2
    # a third of the draws ((4/5)^5) leave a.fr out and show no difference; those that draw it
    # several times show more than the pages as given
    assert diff.low == 0.0 and diff.high > diff.value
    assert str(diff).startswith("+0.040 [+0.000, +")


def test_the_two_cleanings_must_score_the_same_pages():
    with pytest.raises(ValueError, match="same pages"):
        f1_difference([RIGHT], [RIGHT, RIGHT], ["a.fr"])
    with pytest.raises(ValueError, match="view"):
        f1_difference([RIGHT], [RIGHT], ["a.fr"], "mean")
