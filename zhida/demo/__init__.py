"""zhida.demo"""
