import streamlit as st

st.write("train")
