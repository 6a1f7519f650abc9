"""Score stage: a rule set + one agency's observations → points per criterion with flags."""
