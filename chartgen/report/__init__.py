"""chartgen.report"""
