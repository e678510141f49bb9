"""Agent empathy QA: score an agent's public reply (pure, ``score.py``) against a QA pack of phrases
(``pack.py``, data in ``phrase_packs/qa/``), store the scores with no text (``scores.py``), and report
them per agent and team (``report.py`` builds, ``render.py`` and ``svg.py`` draw).
"""
from .pack import QaPack, load_qa_pack
from .score import Context, Scorecard, score_reply

__all__ = ["Context", "QaPack", "Scorecard", "load_qa_pack", "score_reply"]
