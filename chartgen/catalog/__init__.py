"""chartgen.catalog"""
