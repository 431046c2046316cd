"""chartgen.rules"""
