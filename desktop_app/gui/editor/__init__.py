"""The experiment editor: data and study settings, the search-space rows and their previews."""
