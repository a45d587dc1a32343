"""zhida.jobs"""
