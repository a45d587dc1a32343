"""zhida.rules"""
