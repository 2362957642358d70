function defineContainer(x: object) { return x; }
