import streamlit as st

st.write("lab")
