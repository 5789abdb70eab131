"""Reading aloud in the visitor shell: the voice, what screens say, and the speech mode."""
