"""chartgen.chart"""
