"""Pads text with stars to at least 10 characters: "[ab********]"."""


def pad(text):
    return "[" + str(text).ljust(10, "*") + "]"
