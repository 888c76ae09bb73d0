"""The conversation in the working groups: replies on updates, minutes and decisions."""
