"""cnnviz: a pure, typed library for teaching convolutional neural networks.

No streamlit import anywhere in this package: pages call it, tests check it against PyTorch.
"""

__version__ = "0.1.0"
