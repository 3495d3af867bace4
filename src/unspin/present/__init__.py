"""Stage: present. Terminal, JSON, HTML, Markdown."""

