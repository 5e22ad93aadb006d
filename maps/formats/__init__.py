"""Import and export formats. Each module turns bytes or text into `MapContent` and back."""
