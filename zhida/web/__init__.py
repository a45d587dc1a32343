"""zhida.web"""
