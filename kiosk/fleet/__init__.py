"""What the hub delivers to a terminal and what the terminal reports back (no Qt, no HTTP).

courses.py      course packages from the hub: checked, unpacked beside the old ones, switched
site_config.py  the site's config from the hub: checked, pending, applied at an idle moment
health.py       the health report a terminal posts to the hub every minute
files.py        writing a small file so that a power cut leaves the old or the new one
"""
