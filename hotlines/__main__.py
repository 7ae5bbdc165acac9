from hotlines.cli import entry_point

entry_point()
