"""Look and feel: plot style, colour scheme, fonts and icons."""
