"""The simulated venue: order matching against the recorded book, queue models, reports."""
