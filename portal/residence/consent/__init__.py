"""The owners' consent: the page behind the SMS link, the cabinet's answer, the SMS replies."""
