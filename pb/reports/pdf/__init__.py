"""PDF documents: each module turns plain content into bytes; views and commands send or write them."""
