"""Verdicts: what kind of page a record is (`page`), and how likely each number is a fraud line
(`propagation`, over the index's page–number–brand graph).

The two halves import nothing of each other: `extract` needs the page verdict and no database,
the index's queries need the propagation and no extractor. Import the submodule you need.
"""
