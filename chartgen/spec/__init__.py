"""chartgen.spec"""
