"""Files -> documents: reading, decoding, parsing with positions, classification."""
