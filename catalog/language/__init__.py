"""The words that search and matching both understand, in one place.

Folding and segmentation (`tokens`), typo correction against the catalogue's own words
(`typos`), scenarios learned from the catalogue's labels (`scenes`), and lexical
relevance over catalogue text with catalogue statistics (`lexical`). `understand`
(`query`) turns what a user typed into weighted terms once, for the search page and the
matcher alike.
"""
