"""Data files shipped with the app: templates, fonts, icons, styles."""
