"""The bundled demo site (a small fictional news site) and the server that shows it on loopback."""
