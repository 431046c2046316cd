"""chartgen.validate"""
