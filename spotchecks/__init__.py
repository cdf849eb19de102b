"""Spot checks by the joint provincial team (联合调研小组抽样调查): the rubric, the reproducible
stratified sample, score entry with photos, locking and corrections, and the ``spotchecks.csv``
bundle file.  The pages live in ``views``."""
