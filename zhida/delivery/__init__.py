"""zhida.delivery"""
