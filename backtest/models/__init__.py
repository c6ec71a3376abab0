"""Swappable models of the simulated venue: latency, queue position and fees."""
