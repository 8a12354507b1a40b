"""People's dealings with one another: blocking and muting (``blocking``), what a
viewer is shown (``visibility``), notifications (``notifying``, ``grouping``),
private messages (``messaging``), reports and moderators' actions on them
(``reporting``, ``suspensions``). The @mention links live in app/mentions.py,
beside the rendering they hook into."""
