"""zhida.imports"""
