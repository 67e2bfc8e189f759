"""Leads: a provider's answer to an enterprise need its offerings fit."""
