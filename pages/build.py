import streamlit as st

st.write("build")
