"""Diagrams of a map: DOT source (`dot`), its one escaping function (`escape`), and rendering
DOT to SVG, PNG or PDF with Graphviz under a time limit (`render`)."""
