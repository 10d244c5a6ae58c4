"""Each role's home page and the Program page: reads composed from the apps' data, no models of their own."""
